// Run by EmbeddedDynamoDb as `node -e <this file> <dynalite package directory>`: starts dynalite in memory on a port the
// kernel picks on 127.0.0.1 (dynalite's cli.js treats --port 0 as its default 4567, so it cannot), prints that port on
// one line for the JVM to read, and exits when the JVM closes its stdin: a JVM that dies, even by SIGKILL, leaves no
// dynalite behind. Tables go ACTIVE at once (dynalite keeps them CREATING for 500 ms by default, which would make the
// SDK's table waiter sleep 20 s).
'use strict'
const dynaliteDir = process.argv[1]
process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
const server = require(dynaliteDir)({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.on('error', (e) => {
  console.error('dynalite failed: ' + (e && e.stack ? e.stack : e))
  process.exit(1)
})
server.listen(0, '127.0.0.1', () => {
  console.log('marketgate-dynalite listening on port ' + server.address().port)
})
