// A small SMTP listener on 127.0.0.1 for the browser tests: the real
// binary sends its invitations and reset links to it over TCP, as it would
// to any mail server, and the test reads them back. No STARTTLS and no
// AUTH are offered, so the server's client sends in the clear, as it does
// to a local relay.
import net from 'node:net';

export async function startSMTP() {
  const messages = [];
  const waiters = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let data = null; // the message being received, after DATA
    let envelope = { from: '', to: [] };
    const reply = (line) => socket.write(line + '\r\n');
    reply('220 masthead-e2e ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (data !== null) {
          if (line === '.') {
            const msg = { ...envelope, raw: data.join('\r\n') };
            messages.push(msg);
            waiters.splice(0).forEach((w) => w());
            data = null;
            envelope = { from: '', to: [] };
            reply('250 queued');
          } else {
            data.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 masthead-e2e');
        else if (verb === 'MAIL') { envelope.from = line.slice(10).trim(); reply('250 ok'); }
        else if (verb === 'RCPT') { envelope.to.push(line.slice(8).trim()); reply('250 ok'); }
        else if (verb === 'DATA') { data = []; reply('354 end with .'); }
        else if (verb === 'RSET') { envelope = { from: '', to: [] }; reply('250 ok'); }
        else if (verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') { reply('221 bye'); socket.end(); }
        else reply('502 not implemented');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    addr: `127.0.0.1:${server.address().port}`,
    messages,
    // waitFor resolves to the first message (in arrival order) addressed
    // to `to`, waiting up to 15 s for it to arrive.
    async waitFor(to) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const m = messages.find((msg) => msg.to.some((r) => r.includes(to)));
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within 15 s (got ${messages.length})`);
        await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, 500); });
      }
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// body decodes a message's text: quoted-printable soft breaks and escapes,
// which is how mail clients see links.
export function body(raw) {
  const text = raw.split(/\r\n\r\n/).slice(1).join('\n\n');
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}
