/** What every router needs, handed in by createApp so tests and entry points wire their own. */
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/sql';
import type { WebOptions } from '../web/config';

export interface ApiDeps {
  sql: Sql;
  temporal: Client;
  taskQueue: string;
  /** SHA-256 of the bootstrap admin token. */
  adminTokenHash: string;
  /** How long a request waits on a workflow; `COMMAND_TIMEOUT_MS` when absent. */
  commandTimeoutMs?: number;
  /** The web pages' sign-in and sessions; without it the pages run with sign-in not configured. */
  web?: WebOptions;
}
