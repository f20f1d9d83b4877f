import { buildServer } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { seedFirstStart, type SeededAccount } from './demo/seed.ts';

function banner(url: string, accounts: SeededAccount[] | null): string {
  const lines = ['', `  Warrant is running at ${url}`, ''];
  if (accounts) {
    lines.push('  First start: these accounts were created. Their passwords are shown ONCE, now;');
    lines.push('  only hashes are stored. Write them down (an admin can create new accounts later).', '');
    const width = Math.max(...accounts.map((a) => a.username.length));
    for (const a of accounts) lines.push(`    ${a.username.padEnd(width)}  ${a.password}   (${a.role})`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`warrant: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const server = await buildServer(config, {
    logger: { level: config.logLevel },
  });
  const accounts = await seedFirstStart(server, config.demo, config.adminPassword);

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));

  await server.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(banner(`http://${shownHost}:${port}`, accounts));
}

main().catch((error: unknown) => {
  process.stderr.write(`warrant: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
