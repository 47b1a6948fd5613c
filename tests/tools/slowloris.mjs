// Holds many half-open HTTP connections to a server, as a slow client
// (slowloris) does: each connects, sends the start of a request and
// nothing more.
//
//   node tests/tools/slowloris.mjs PORT COUNT HOLD_SECONDS SOURCE...
//
// Connections go to 127.0.0.1:PORT from the loopback addresses SOURCE...
// in turn (127.0.0.2, 127.0.1.7: every 127.x.y.z is the machine itself),
// so that a test can spread them over several clients. Prints
// "ready open=N refused=N" once every connection has connected or failed
// and a second has passed (open: still open; refused: failed to connect
// or closed by the server), then "end open=N" after HOLD_SECONDS more,
// and exits.
import net from 'node:net';

const [port, count, hold, ...sources] = process.argv.slice(2);
if (!port || !count || !hold || !sources.length) {
  console.error('usage: node slowloris.mjs PORT COUNT HOLD_SECONDS SOURCE...');
  process.exit(2);
}

let open = 0;
let settled = 0;
let refused = 0;
const sockets = [];
const total = Number(count);

function settle() {
  settled++;
  if (settled === total) {
    setTimeout(() => {
      console.log(`ready open=${open} refused=${refused}`);
      setTimeout(() => {
        console.log(`end open=${open}`);
        for (const s of sockets) s.destroy();
        process.exit(0);
      }, Number(hold) * 1000);
    }, 1000);
  }
}

for (let i = 0; i < total; i++) {
  const s = net.connect({ host: '127.0.0.1', port: Number(port), localAddress: sources[i % sources.length] });
  let connected = false;
  s.on('connect', () => {
    connected = true;
    open++;
    s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    settle();
  });
  s.on('error', () => {});
  s.on('close', () => {
    if (connected) open--;
    refused++;
    if (!connected) settle();
  });
  sockets.push(s);
}
