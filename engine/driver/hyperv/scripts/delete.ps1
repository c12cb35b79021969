$r=@();$i=0;$n=@($p.hosts).Count
foreach($h in $p.hosts){$i++
Step "$i/$n Get-VM -ComputerName $h"
$v=Get-VM -Id $p.id -ComputerName $h -ErrorAction SilentlyContinue
if(-not $v){continue}
Step "$i/$n Stop-VM -TurnOff"
if($v.State -ne 'Off'){Stop-VM -VM $v -TurnOff -Force}
$ds=@($v.HardDrives|%{$_.Path}|?{$_ -and $_.StartsWith($v.Path+'\',[StringComparison]::OrdinalIgnoreCase)})
Step "$i/$n Remove-VM"
Remove-VM -VM $v -Force
Step "$i/$n Remove-Item"
foreach($d in $ds){Invoke-Command -ComputerName $h -ScriptBlock{Remove-Item -LiteralPath $args[0]} -ArgumentList $d;$r+=$d}}
Done @{removed=$r}
