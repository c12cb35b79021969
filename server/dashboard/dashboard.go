package dashboard
