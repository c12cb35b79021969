$hs=@();$vs=@();$i=0;$n=@($p.hosts).Count
foreach($h in $p.hosts){$i++
Step "$i/$n Get-VM -ComputerName $h"
$x=Get-VMHost -ComputerName $h
$hs+=@{name=$h;cpu=$x.LogicalProcessorCount;mem=$x.MemoryCapacity}
$l=@(if($p.id){Get-VM -Id $p.id -ComputerName $h -ErrorAction SilentlyContinue}else{Get-VM -ComputerName $h})
$z=Sizes $l $h
$vs+=@($l|%{Rec $_ $h $z})}
Done @{hosts=$hs;vms=$vs}
