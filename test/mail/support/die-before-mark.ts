import { ColumnNode, UpdateQueryNode, type KyselyPlugin, type PluginTransformQueryArgs, type RootOperationNode } from 'kysely';

// The worker dies at the worst moment for the outbox: after the SMTP server accepted a message, before the
// outbox row is marked. Plug it into the activities' database with `db.withPlugin(new DieBeforeMark())`.

/** Throws, once armed, on the statement that records the SMTP outcome (the update that sets `accepted`). */
export class DieBeforeMark implements KyselyPlugin {
  armed = true;
  kills = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (this.armed && UpdateQueryNode.is(node)) {
      const columns = node.updates?.map((u) => (ColumnNode.is(u.column) ? u.column.column.name : '')) ?? [];
      if (columns.includes('accepted')) {
        this.armed = false;
        this.kills += 1;
        throw new Error('worker killed between the SMTP acceptance and the outbox mark');
      }
    }
    return node;
  }
  async transformResult(args: { result: unknown }) {
    return args.result as never;
  }
}
