/**
 * Workflow histories to and from the standard proto3 JSON that Temporal's tools write (the same
 * format as `historyToJSON` / `historyFromJSON` of `@temporalio/common`).
 *
 * Why not those two functions: npm installs protobufjs 8 three times here (nested under
 * @temporalio/common, /proto and /worker, because @grpc/proto-loader holds the top-level slot with
 * protobufjs 7), and `protojson` checks `instanceof Type`, so common's copy rejects the types that
 * @temporalio/proto built with its own copy ("type must be a Type"). Loading `protojson` from the
 * copy that @temporalio/proto resolves keeps the two on one protobufjs, however npm lays them out.
 */
import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils';

interface ProtoType {
  fromObject(o: unknown): unknown;
}
interface ProtoJson {
  toJson(type: ProtoType, message: unknown): unknown;
  fromJson(type: ProtoType, json: unknown, opts?: { ignoreUnknownFields?: boolean }): unknown;
}

const requireHere = createRequire(import.meta.url);
const requireFromProto = createRequire(requireHere.resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
const { patchProtobufRoot } = requireHere('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot: <T>(root: T) => T & { lookupType(name: string): ProtoType };
};
const historyType = patchProtobufRoot(requireHere('@temporalio/proto') as Record<string, unknown>).lookupType(
  'temporal.api.history.v1.History',
);

/** A fetched history as pretty proto3 JSON text. */
export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, historyType.fromObject(history)), null, 2);
}

/** A history read back from {@link historyToJson} (or a `temporal workflow show --output json` file). */
export function historyFromJson(text: string): History {
  const history = protojson.fromJson(historyType, JSON.parse(text), { ignoreUnknownFields: true });
  if (history === null || typeof history !== 'object') throw new TypeError('not a workflow history');
  return history as History;
}
