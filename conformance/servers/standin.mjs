// What the Go server's migrations do on adoption, reproduced for the self-test stand-in.
//
// Better Auth 1.7.0–1.7.2 created account.issuer NOT NULL; 1.7.3+ never writes it, so
// a new sign-up on such a database fails until the column is relaxed (upstream's 1.7
// upgrade guide: drop it, make it nullable or give it a default). The Go migrations
// must do this; the Node stand-in does it here so adoption scenarios can run
// Node-vs-Node. The pinned 1.7.25 reference server never calls this.
export async function relaxLegacyIssuer(pool) {
  const { rows } = await pool.query(
    `select is_nullable from information_schema.columns
      where table_schema = current_schema() and table_name = 'account' and column_name = 'issuer'`,
  );
  if (rows[0]?.is_nullable === "NO") {
    await pool.query(`alter table "account" alter column "issuer" drop not null`);
  }
}
