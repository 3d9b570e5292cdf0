import { symmetricEncrypt, symmetricDecrypt } from "better-auth/crypto";
import { createOTP } from "@better-auth/utils/otp";
const key = "conformance-secret-0123456789abcdefghij";
const out = {};
out.enc = [];
for (const data of ["Qx7-kP_2mZ9aB4cD6eF8gH0iJ1kL3mN5", JSON.stringify(["abcde-12345","ZZZZZ-00000"]), "", "héllo ✓"]) {
  out.enc.push([data, await symmetricEncrypt({ key, data })]);
}
if (process.argv[2]) out.goDecrypted = await symmetricDecrypt({ key, data: process.argv[2] });
const secret = "Qx7-kP_2mZ9aB4cD6eF8gH0iJ1kL3mN5";
const otp = createOTP(secret, { digits: 6, period: 30 });
out.hotp = [];
for (const c of [0, 1, 59157216, 59157217, 99999999]) out.hotp.push([c, await otp.hotp(c)]);
out.uri = otp.url("Acme Inc: ~*'()&=é", "ada+2fa@example.com");
out.uri2 = otp.url("Better Auth", "a@b.test");
console.log(JSON.stringify(out, null, 1));
