$hs=@();$i=0;$hl=@($p.hosts);if(-not $p.hosts){$hl=@($env:COMPUTERNAME)};$n=$hl.Count
foreach($h in $hl){$i++
Step "$i/$n Get-VMHost -ComputerName $h"
$x=Get-VMHost -ComputerName $h
$hs+=@{name=$x.Name;path=$x.VirtualHardDiskPath;switches=@(Get-VMSwitch -ComputerName $h|%{$_.Name})}}
Done @{hosts=$hs}
