// One private PostgreSQL server of a cluster, run by scripts/postgres.sh (Debian's packages, its own folder and
// port), with what the drills need: its postmaster's pid, a kill -9 of the whole server, a restart.
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { POSTGRES_SCRIPT } from './settings';

const run = promisify(execFile);

export class LocalPostgres {
  constructor(
    readonly name: string,
    /** BAOCAO_PG_DIR of scripts/postgres.sh */
    readonly dir: string,
    readonly port: number,
    /** the database scripts/postgres.sh creates */
    readonly database: string,
  ) {}

  private script(command: 'start' | 'stop' | 'status'): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [POSTGRES_SCRIPT, command], {
        env: { ...process.env, BAOCAO_PG_DIR: this.dir, BAOCAO_PG_PORT: String(this.port), BAOCAO_PG_DB: this.database },
        stdio: ['ignore', 'pipe', 'pipe'],
        // a process group of its own: a Ctrl-C in the terminal reaches us, and we stop the servers in order
        // (the worker drains first), instead of PostgreSQL going down at the same moment as everything else
        detached: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(Object.assign(new Error(`postgres.sh ${command}: exit ${code}`), { stderr }))));
    });
  }

  /** Starts (or reuses) the server; resolves with the URL of its database (superuser `baocao`, trust on loopback). */
  async start(): Promise<string> {
    // right after a kill -9 the server's orphaned backends may still hold its shared memory for a moment
    for (let attempt = 1; ; attempt++) {
      try {
        const { stdout } = await this.script('start');
        return stdout.trim().split('\n').pop()!;
      } catch (err) {
        if (attempt >= 10) throw new Error(`PostgreSQL (${this.name}) did not start: ${(err as { stderr?: string }).stderr ?? String(err)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    await this.script('stop');
  }

  url(database = this.database, user = 'baocao'): string {
    return `postgres://${user}@127.0.0.1:${this.port}/${database}`;
  }

  /** The postmaster's pid, from its pid file (undefined when it is not running). */
  pid(): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  /** kill -9 of the postmaster and every backend: what a crashed machine or container leaves behind. */
  async kill9(): Promise<number> {
    const pid = this.pid();
    if (!pid) throw new Error(`PostgreSQL (${this.name}) is not running`);
    const { stdout } = await run('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).catch(() => ({ stdout: '' }));
    for (const p of [pid, ...stdout.split('\n').filter(Boolean).map(Number)]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    return pid;
  }

  /** Runs statements as the superuser, in `database`. */
  async sql(statements: string[], database = 'postgres'): Promise<void> {
    const client = new Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      for (const s of statements) await client.query(s);
    } finally {
      await client.end();
    }
  }

  /** Creates a login role (and a database it owns) unless it exists: the roles docker-compose.yml's images make. */
  async ensureRole(role: string, options: { createdb?: boolean; database?: string } = {}): Promise<void> {
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (!rowCount) await client.query(`CREATE ROLE "${role}" LOGIN${options.createdb ? ' CREATEDB' : ''}`);
      if (options.database) {
        const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
        if (!db.rowCount) await client.query(`CREATE DATABASE "${options.database}" OWNER "${role}" ENCODING 'UTF8' TEMPLATE template0`);
      }
    } finally {
      await client.end();
    }
  }
}
