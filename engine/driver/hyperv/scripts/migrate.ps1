Step '1/3 Get-VM'
$v=Get-VM -Id $p.id -ComputerName $p.from
Step "2/3 Move-VM to $($p.to)"
Move-VM -VM $v -DestinationHost $p.to
Step '3/3 Get-VM'
$w=Get-VM -Id $p.id -ComputerName $p.to -ErrorAction SilentlyContinue
Done @{moved=[bool]$w}
