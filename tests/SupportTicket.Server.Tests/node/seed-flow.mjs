// The seed's socket flow with the official client: connect, authorize({token}), then print every event as one JSON
// line ({"event", "data"}) until ticket_closed. Usage: node seed-flow.mjs <hub url> <token>
import * as signalR from "@microsoft/signalr";

const [url, token] = process.argv.slice(2);
const print = (event, data) => process.stdout.write(JSON.stringify({ event, data }) + "\n");
setTimeout(() => { print("timeout", null); process.exit(2); }, 60_000).unref();

const connection = new signalR.HubConnectionBuilder()
  .withUrl(url, { transport: signalR.HttpTransportType.WebSockets })
  .withAutomaticReconnect()
  .withStatefulReconnect()
  .configureLogging(signalR.LogLevel.Warning)
  .build();

for (const name of ["authorized", "error", "message", "edit_message", "delete_message", "ticket_updated", "typing"])
  connection.on(name, (data) => print(name, data));
connection.on("ticket_closed", async (data) => {
  print("ticket_closed", data);
  await connection.stop();
  process.exit(0);
});

try {
  await connection.start();
  await connection.invoke("authorize", { token });
} catch (e) {
  print("failed", String(e));
  process.exit(1);
}
