// Runs autocannon in its own process (so the load generator never shares the server's event loop) and prints the
// summary as JSON: `node autocannon-process.mjs '<json options>'`.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
autocannon(options, (error, result) => {
  if (error) {
    console.error(error);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ requests: result.requests, latency: result.latency, errors: result.errors, non2xx: result.non2xx }));
});
