Step '1/6 Get-VM'
$v=Get-VM -Id $p.id -ComputerName $p.host
if($p.stop -and $v.State -ne 'Off'){
Step '2/6 Stop-VM'
$j=Stop-VM -VM $v -Force -AsJob
if(Wait-Job $j -Timeout $p.grace){Receive-Job $j}else{Step '2/6 Stop-VM -TurnOff';Stop-VM -VM $v -TurnOff -Force}}
Step '3/6 Set-VMProcessor'
if($p.cpu){Set-VMProcessor -VM $v -Count $p.cpu}
Step '4/6 Set-VMMemory'
if($p.mem){Set-VMMemory -VM $v -StartupBytes $p.mem}
Step '5/6 Resize-VHD'
if($p.disk){Resize-VHD -Path $p.vhd -SizeBytes $p.disk -ComputerName $p.host}
if($p.notes){Set-VM -VM $v -Notes $p.notes.text}
Step '6/6 Start-VM'
if($p.start){Start-VM -VM $v}
Done (One $p.id $p.host)
