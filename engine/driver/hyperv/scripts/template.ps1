Step "1/1 Get-VHD -ComputerName $($p.host)"
$t=Get-VHD -Path $p.vhdx -ComputerName $p.host
Done @{size=$t.Size;format="$($t.VhdFormat)"}
