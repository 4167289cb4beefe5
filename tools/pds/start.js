// A real Bluesky PDS with its own in-memory PLC directory, for the syndication tests.
//
//   node tools/pds/start.js --port 2583 --plc-port 2582 --data /tmp/pds
//
// Prints one line of JSON when both listen ({"pds": "http://localhost:2583", "plc": …}) and
// stops on SIGTERM/SIGINT. Nothing leaves the machine: the PLC is in memory, the PDS keeps
// its SQLite files and blobs under --data, and no AppView/relay is configured.
'use strict'

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}

async function main() {
  const port = Number(arg('port', '2583'))
  const plcPort = Number(arg('plc-port', '2582'))
  const data = path.resolve(arg('data', fs.mkdtempSync('/tmp/chorus-pds-')))
  fs.mkdirSync(path.join(data, 'blobs'), { recursive: true })

  const { PlcServer, Database: PlcDatabase } = require('@did-plc/server')
  const plc = PlcServer.create({ db: PlcDatabase.mock(), port: plcPort })
  await plc.start()

  Object.assign(process.env, {
    PDS_HOSTNAME: 'localhost',
    PDS_PORT: String(port),
    PDS_DATA_DIRECTORY: data,
    PDS_BLOBSTORE_DISK_LOCATION: path.join(data, 'blobs'),
    PDS_DID_PLC_URL: `http://localhost:${plcPort}`,
    PDS_JWT_SECRET: crypto.randomBytes(16).toString('hex'),
    PDS_ADMIN_PASSWORD: process.env.PDS_ADMIN_PASSWORD || crypto.randomBytes(16).toString('hex'),
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: crypto.randomBytes(32).toString('hex'),
    PDS_DEV_MODE: 'true',
    PDS_INVITE_REQUIRED: 'false',
    PDS_CRAWLERS: '',
    LOG_ENABLED: process.env.LOG_ENABLED || 'false',
  })
  const { PDS, envToCfg, envToSecrets, readEnv } = require('@atproto/pds')
  const env = readEnv()
  const pds = await PDS.create(envToCfg(env), envToSecrets(env))
  await pds.start()

  process.stdout.write(
    JSON.stringify({ pds: `http://localhost:${port}`, plc: `http://localhost:${plcPort}` }) + '\n',
  )

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await pds.destroy().catch(() => {})
    await plc.destroy().catch(() => {})
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((err) => {
  process.stderr.write(`pds: ${err && err.stack ? err.stack : err}\n`)
  process.exit(1)
})
