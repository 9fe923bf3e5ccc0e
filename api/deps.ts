/** What every router needs, handed in by createApp so tests and entry points wire their own. */
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/sql';

export interface ApiDeps {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  /** SHA-256 of the bootstrap admin token. */
  adminTokenHash: string;
  /** How long a request waits on a workflow; `COMMAND_TIMEOUT_MS` when absent. */
  commandTimeoutMs?: number;
}
