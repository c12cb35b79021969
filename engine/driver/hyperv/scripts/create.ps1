Step '1/6 Get-VHD'
$t=Get-VHD -Path $p.vhdx -ComputerName $p.host
Step '2/6 New-VM'
$a=@{Name=$p.name;ComputerName=$p.host;Generation=2;MemoryStartupBytes=$p.mem;NoVHD=$true}
if($p.path){$a.Path=$p.path}
if($p.switch){$a.SwitchName=$p.switch}
$v=New-VM @a|Set-VM -ProcessorCount $p.cpu -StaticMemory -Notes $p.notes -Passthru
$f=$v.Path.TrimEnd('\')+"\Virtual Hard Disks\$($v.Id).vhdx"
try{
if($p.sb -eq 'Off'){Set-VMFirmware -VM $v -EnableSecureBoot Off}elseif($p.sb){Set-VMFirmware -VM $v -SecureBootTemplate $p.sb}
Step '3/6 New-VHD'
New-VHD -Path $f -ParentPath $p.vhdx -Differencing -ComputerName $p.host|Out-Null
Step '4/6 Resize-VHD'
if($p.disk -gt $t.Size){Resize-VHD -Path $f -SizeBytes $p.disk -ComputerName $p.host}
Step '5/6 Add-VMHardDiskDrive'
Add-VMHardDiskDrive -VM $v -Path $f
Step '6/6 Start-VM'
if($p.start){Start-VM -VM $v}
Set-VM -VM $v -Notes $p.done
}catch{Remove-VM -VM $v -Force;Invoke-Command -ComputerName $p.host -ScriptBlock{Remove-Item -LiteralPath $args[0] -ErrorAction SilentlyContinue} -ArgumentList $f;throw}
Done (One $v.Id $p.host)
