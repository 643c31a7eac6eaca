# Makes the scale's TLS client identity on Windows (needs openssl.exe on the PATH, e.g. from Git for
# Windows or https://slproweb.com/products/Win32OpenSSL.html). Same files as make-client-cert.sh:
#   key.pem, key.der (private key), request.csr, cert.pem, cert.der (self-signed, 365 days).
# Usage: .\make-client-cert.ps1 [-OutDir <folder>] [-Days 365] [-Force]
param(
    [string]$OutDir = $PSScriptRoot,
    [int]$Days = 365,
    [switch]$Force
)
$ErrorActionPreference = 'Stop'
$config = Join-Path $PSScriptRoot 'request.cnf'

if (-not (Get-Command openssl -ErrorAction SilentlyContinue)) {
    throw 'openssl is not on the PATH: install it (e.g. Git for Windows ships one) and open a new terminal'
}
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$key = Join-Path $OutDir 'key.pem'
if ((Test-Path $key) -and -not $Force) {
    throw "$key exists already; run with -Force to replace it (the old certificate will stop working)"
}

function Invoke-OpenSsl { & openssl @args; if ($LASTEXITCODE -ne 0) { throw "openssl $($args[0]) failed" } }

Invoke-OpenSsl req -newkey rsa:2048 -nodes -keyout $key -out (Join-Path $OutDir 'request.csr') -config $config
Invoke-OpenSsl x509 -req -sha256 -days $Days -in (Join-Path $OutDir 'request.csr') -signkey $key `
    -extfile $config -extensions client_extensions -out (Join-Path $OutDir 'cert.pem')
Invoke-OpenSsl x509 -in (Join-Path $OutDir 'cert.pem') -out (Join-Path $OutDir 'cert.der') -outform DER
Invoke-OpenSsl rsa -in $key -out (Join-Path $OutDir 'key.der') -outform DER -traditional

# Only the current user may read the private keys.
foreach ($file in @($key, (Join-Path $OutDir 'key.der'))) {
    icacls $file /inheritance:r /grant:r "$($env:USERNAME):(R,W)" | Out-Null
}

Write-Host "Made in ${OutDir}: key.pem, key.der (private), request.csr, cert.pem, cert.der"
& openssl x509 -in (Join-Path $OutDir 'cert.pem') -noout -subject -enddate
Write-Host "Use them with: scale.mqtt.client-cert=$(Join-Path $OutDir 'cert.pem') scale.mqtt.client-key=$key"
