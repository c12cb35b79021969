$ErrorActionPreference='Stop'
[Console]::OutputEncoding=[Text.Encoding]::UTF8
$script:s='0/0 start'
function Step($t){$script:s=$t;[Console]::Out.WriteLine("step:$t");[Console]::Out.Flush()}
function Done($o){[Console]::Out.WriteLine('result:'+(ConvertTo-Json -InputObject $o -Depth 6 -Compress));[Console]::Out.Flush()}
trap{[Console]::Out.WriteLine('error:'+(ConvertTo-Json -Compress -InputObject @{step=$script:s;id="$($_.FullyQualifiedErrorId)";category="$($_.CategoryInfo.Category)";message="$($_.Exception.Message)"}));[Console]::Out.Flush();exit 1}
function Sizes($l,$h){$z=@{};$ds=@($l|%{@($_.HardDrives)[0].Path}|?{$_});if($ds){Get-VHD -Path $ds -ComputerName $h -ErrorAction SilentlyContinue|%{$z[$_.Path]=$_.Size}};$z}
function Rec($v,$h,$z){$d=@($v.HardDrives)[0];$f=$(if($d){$d.Path}else{''});@{id="$($v.Id)";name=$v.Name;host=$h;cpu=$v.ProcessorCount;mem=$v.MemoryStartup;state="$($v.State)";notes="$($v.Notes)";disk=$(if($f){$z[$f]}else{0});vhd=$f}}
function One($id,$h){$v=Get-VM -Id $id -ComputerName $h;Rec $v $h (Sizes $v $h)}
