package dashboard

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"time"

	"github.com/novacron/novacron/server/auth"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// templates are the pages, each parsed with the layout it fills.
type templates struct{ pages map[string]*template.Template }

// pageNames are the templates under templates/ besides layout.html.
var pageNames = []string{"login", "error", "overview", "workspace", "history", "plan", "run"}

func parseTemplates() *templates {
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/parts.html"))
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		t.pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFiles, "templates/"+name+".html"))
	}
	return t
}

// frame is what the layout shows around a page.
type frame struct {
	Title string
	User  string // "" on the login page
	Data  any
}

// render writes the page name with data inside the layout. The page is
// rendered to memory first, so a template error is a 500, not half a page.
func (d *Dashboard) render(w http.ResponseWriter, code int, name string, p *auth.Principal, title string, data any) {
	f := frame{Title: title, Data: data}
	if p != nil {
		f.User = p.Name
	}
	var buf bytes.Buffer
	if err := d.t.pages[name].ExecuteTemplate(&buf, "layout.html", f); err != nil {
		d.o.Log.Error("dashboard template failed", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// assetHandler serves the embedded CSS and JavaScript under /assets/.
func assetHandler() http.Handler {
	sub, err := fs.Sub(assetFiles, "assets")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	files := http.StripPrefix("/assets/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

var funcs = template.FuncMap{
	"pathEsc": url.PathEscape,
	"when":    when,
	"gb":      gb,
	"tags":    tagList,
}

// when writes a time for a table: UTC, to the second; "—" when unset.
func when(t any) string {
	switch t := t.(type) {
	case time.Time:
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	case *time.Time:
		if t == nil {
			return "—"
		}
		return when(*t)
	}
	return fmt.Sprint(t)
}
