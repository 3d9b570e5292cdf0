// The signed-in user's own account: update-user, change-password, verify-password,
// list-accounts (PROTOCOL.md §2.7, §2.1; 1.7.25 wins where they differ).
import { PASSWORD, signedIn, signedUp } from "../lib/steps.mjs";

const NEW_PASSWORD = "new-password-456";

export default [
  {
    name: "update-user: name and image",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("updateUser", b.client.updateUser({ name: "Alice B", image: "https://example.com/a.png" }));
      await t.call("getSession", b.client.getSession());
      await t.call("updateUser remove image", b.client.updateUser({ image: null }));
      await t.call("getSession after", b.client.getSession());
    },
  },
  {
    name: "update-user: rememberMe false keeps a browser-session cookie",
    async run(t) {
      const { b } = await signedIn(t, "alice", { rememberMe: false });
      await t.call("updateUser", b.client.updateUser({ name: "Alice B" }));
    },
  },
  {
    name: "update-user: email cannot be changed here",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/update-user", { json: { email: t.email("new") } });
      await b.request("POST", "/update-user", { json: { name: "X", email: t.email("new") } });
      await b.request("POST", "/update-user", { json: { name: "Empty email", email: "" } });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "update-user: nothing to update and bad bodies",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/update-user", { json: {} });
      await b.request("POST", "/update-user", { json: { unknown: 1 } });
      await b.request("POST", "/update-user", { json: [] });
      await b.request("POST", "/update-user", { json: "name" });
      await b.request("POST", "/update-user", { body: "", headers: { "content-type": "application/json" } });
      await b.request("POST", "/update-user", { body: "{", headers: { "content-type": "application/json" } });
      await t.request("POST", "/update-user", { json: { name: "No session" } });
      await t.request("POST", "/update-user", { json: [] });
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "change-password: success keeps other sessions",
    async run(t) {
      const { b } = await signedUp(t);
      const other = t.browser();
      await t.call("signIn other", other.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("changePassword", b.client.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }));
      await t.call("other getSession", other.client.getSession());
      await t.call("signIn old", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("signIn new", t.browser().client.signIn.email({ email: t.email("alice"), password: NEW_PASSWORD }));
    },
  },
  {
    name: "change-password: revokeOtherSessions",
    async run(t) {
      const { b } = await signedUp(t);
      const other = t.browser();
      await t.call("signIn other", other.client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
      await t.call("changePassword", b.client.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: true }));
      await t.call("getSession", b.client.getSession());
      await t.call("other getSession", other.client.getSession());
    },
  },
  {
    name: "change-password: wrong current password and length limits",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("wrong current", b.client.changePassword({ currentPassword: "wrong-password", newPassword: NEW_PASSWORD }));
      await t.call("too short", b.client.changePassword({ currentPassword: PASSWORD, newPassword: "short" }));
      await t.call("too long", b.client.changePassword({ currentPassword: PASSWORD, newPassword: "x".repeat(129) }));
      await t.call("current too long", b.client.changePassword({ currentPassword: "x".repeat(129), newPassword: NEW_PASSWORD }));
      await t.call("signIn unchanged", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  },
  {
    name: "change-password: bad bodies and no session",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/change-password", { json: {} });
      await b.request("POST", "/change-password", { json: { currentPassword: PASSWORD, newPassword: 12345678 } });
      await b.request("POST", "/change-password", { json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, revokeOtherSessions: "yes" } });
      await b.request("POST", "/change-password", { json: [1] });
      await t.request("POST", "/change-password", { json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
      await t.call("signIn unchanged", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  },
  {
    name: "change-password: no credential account",
    async run(t) {
      const { b, user } = await signedUp(t);
      await t.sql(`delete from "account" where "userId" = $1`, [user?.id]);
      await t.call("changePassword", b.client.changePassword({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }));
      await b.request("POST", "/verify-password", { json: { password: PASSWORD } });
      await t.call("listAccounts", b.client.listAccounts());
    },
  },
  {
    name: "verify-password: right, wrong, bad bodies",
    async run(t) {
      const { b } = await signedUp(t);
      await b.request("POST", "/verify-password", { json: { password: PASSWORD } });
      await b.request("POST", "/verify-password", { json: { password: "wrong-password" } });
      await b.request("POST", "/verify-password", { json: { password: "x".repeat(200) } });
      await b.request("POST", "/verify-password", { json: {} });
      await b.request("POST", "/verify-password", { json: { password: 1 } });
      await t.request("POST", "/verify-password", { json: { password: PASSWORD } });
    },
  },
  {
    name: "list-accounts: the credential account",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("listAccounts", b.client.listAccounts());
      await t.call("listAccounts signed out", t.browser().client.listAccounts());
    },
  },
];
