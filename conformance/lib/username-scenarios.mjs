// Takeover with the username plugin (scenarios/72-username.mjs): users who signed up with a
// username on one side sign in with it on the other, on one database, both ways.
import * as betterAuthPlugins from "better-auth/plugins";
import { PASSWORD, sessionOf, sideCheck, sideEqual, signUp, takeoverBothWays } from "./takeover.mjs";

const signInUsername = (browser, username) => browser.request("POST", "/sign-in/username", { json: { username, password: PASSWORD } });

export function takeoverScenarios() {
  return takeoverBothWays({
    label: "username",
    group: "username",
    gapPlugins: [betterAuthPlugins.username()],
    // The first server signs a user up with a mixed-case username.
    async write(h, server, side) {
      const browser = h.browser(server);
      const up = await signUp(browser, h.email("first"), { username: "First_User" });
      sideCheck(h, side, up.status === 200, `${up.status} ${up.text}`, 200, { step: "sign-up with a username", field: "status" });
      return { browser, up, session: await sessionOf(browser) };
    },
    // The second reads the first's session and signs its user in by the username in another
    // case; a user it signs up is signed in by the first, and its username is taken there.
    async read(h, { first, second, data, side }) {
      const other = side === "go" ? "node" : "go";
      sideEqual(h, side, (await sessionOf(data.browser.on(second))).data, data.session.data, { step: "get-session with the other side's cookie", field: "body" });
      const r = await signInUsername(h.browser(second), "FIRST_user");
      sideEqual(h, side, r.data?.user, data.up.data?.user, { step: "sign-in/username of the other side's user", field: "user" });

      const mine = await signUp(h.browser(second), h.email("second"), { username: "Second_User" });
      sideCheck(h, side, mine.status === 200, `${mine.status} ${mine.text}`, 200, { step: "sign-up on the other side's database", field: "status" });
      const back = await signInUsername(h.browser(first), "second_USER");
      sideEqual(h, other, back.data?.user, mine.data?.user, { step: "sign-in/username of the user the other side made", field: "user" });
      const taken = await signUp(h.browser(first), h.email("third"), { username: "SECOND_user" });
      sideCheck(h, other, taken.status === 400, `${taken.status} ${taken.text}`, 400, { step: "sign-up with the other side's username", field: "status" });
    },
  });
}
