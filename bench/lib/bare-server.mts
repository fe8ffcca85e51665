// Child process of the gate benchmark: the baseline, a bare Node `http` server on a loopback port
// that answers every request with the same JSON body the gate API answered.
//
//   node bench/lib/bare-server.mts <port> <body-file>
import fs from 'node:fs';
import http from 'node:http';

const port = Number(process.argv[2]);
const body = fs.readFileSync(process.argv[3]);

const server = http.createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
  });
  res.end(body);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
