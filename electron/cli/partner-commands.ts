// Partner conveniences over single operations: users create, subscriptions create, sales
// credit / refund-track / refund-release. None of them retries: each creates or reverses
// something exactly once (a retried credit-item logs a duplicate sale).
import {
  createCliContext,
  exitCodes,
  globalHelp,
  parseCommandArgs,
  printJson,
  usageError,
  type CliIo,
} from './cli-context.js';

export const usersHelp = `Usage: septet users create --email EMAIL --password PASSWORD --country CC [--first-name NAME] [--last-name NAME]

Creates a listener (POST /users, form-encoded, signed 2-legged) and prints the new user.
The password may come from SEPTET_USER_PASSWORD instead of the command line.

${globalHelp}`;

export const subscriptionsHelp = `Usage: septet subscriptions create --user ID [--product ID] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--country CC]

Creates or renews a listener's subscription (POST /subscriptions, form-encoded, managed user).
Defaults: product unlimited-streaming-monthly, start today (UTC), end one calendar month later
(the service allows at most one month; renew by creating again).

${globalHelp}`;

export const salesHelp = `Usage: septet sales credit --user ID --release ID [--track ID] --currency CUR --price AMOUNT
       septet sales refund-track --user ID --purchase ID [--track ID] [--reason TEXT]
       septet sales refund-release --user ID --purchase ID [--release ID] [--reason TEXT]

credit          logs a sale (POST /sales/credit-item; XML answer, printed as received). Call once per
                transaction: it is never retried, because a retry would log a duplicate sale.
refund-track    reports a track refund (POST /sales/refund/track)
refund-release  reports a release refund (POST /sales/refund/release)

${globalHelp}`;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const country = /^[A-Z]{2}$/;

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw usageError(`Missing --${flag}`);
  return value;
}

function addMonth(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + 1);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
}

export async function runUsersCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      email: { type: 'string' },
      password: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
    },
    true,
  );
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${usersHelp}\n`);
    return values.help ? exitCodes.ok : exitCodes.usage;
  }
  if (positionals[0] !== 'create' || positionals.length > 1)
    throw usageError(`Unknown users command "${positionals.join(' ')}"`);
  const email = required(values.email, 'email');
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw usageError(`--email is not an email address: ${email}`);
  const password = values.password ?? io.env.SEPTET_USER_PASSWORD;
  if (!password) throw usageError('Missing --password (or SEPTET_USER_PASSWORD)');
  const cc = required(values.country ?? io.env.SEPTET_COUNTRY, 'country');
  if (!country.test(cc))
    throw usageError(`--country must be an ISO 3166-1 alpha-2 code such as GB, got "${cc}"`);
  const body: Record<string, string> = { email, password, country: cc };
  if (values['first-name']) body.firstName = values['first-name'];
  if (values['last-name']) body.lastName = values['last-name'];
  const { api } = await createCliContext(values, io);
  printJson(io, await api.createUser({ body: body as { email: string; password: string; country: string } }));
  return exitCodes.ok;
}

export async function runSubscriptionsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      user: { type: 'string' },
      product: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
    },
    true,
  );
  if (values.help || positionals.length === 0) {
    io.stdout.write(`${subscriptionsHelp}\n`);
    return values.help ? exitCodes.ok : exitCodes.usage;
  }
  if (positionals[0] !== 'create' || positionals.length > 1)
    throw usageError(`Unknown subscriptions command "${positionals.join(' ')}"`);
  const userId = required(values.user, 'user');
  const startDate = values.start ?? new Date().toISOString().slice(0, 10);
  if (!isoDate.test(startDate) || Number.isNaN(Date.parse(startDate)))
    throw usageError(`--start must be YYYY-MM-DD, got "${startDate}"`);
  const endDate = values.end ?? addMonth(startDate);
  if (!isoDate.test(endDate) || Number.isNaN(Date.parse(endDate)))
    throw usageError(`--end must be YYYY-MM-DD, got "${endDate}"`);
  if (endDate <= startDate) throw usageError('--end must be after --start');
  const body: Record<string, string> = {
    userId,
    productId: values.product ?? 'unlimited-streaming-monthly',
    startDate,
    endDate,
  };
  const cc = values.country ?? io.env.SEPTET_COUNTRY;
  if (cc) {
    if (!country.test(cc)) throw usageError(`--country must be an ISO 3166-1 alpha-2 code, got "${cc}"`);
    body.country = cc;
  }
  const { api } = await createCliContext(values, io, { retries: 0 });
  printJson(
    io,
    await api.createSubscription({
      userId,
      body: body as { userId: string; productId: string; startDate: string; endDate: string },
    }),
  );
  return exitCodes.ok;
}

export async function runSalesCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      user: { type: 'string' },
      release: { type: 'string' },
      track: { type: 'string' },
      purchase: { type: 'string' },
      currency: { type: 'string' },
      price: { type: 'string' },
      reason: { type: 'string' },
    },
    true,
  );
  const sub = positionals[0];
  if (values.help || !sub) {
    io.stdout.write(`${salesHelp}\n`);
    return values.help ? exitCodes.ok : exitCodes.usage;
  }
  if (positionals.length > 1) throw usageError(`Unexpected argument "${positionals[1]}"`);
  const userId = required(values.user, 'user');

  if (sub === 'credit') {
    const releaseId = required(values.release, 'release');
    const currency = required(values.currency, 'currency');
    if (!/^[A-Z]{3}$/.test(currency))
      throw usageError(`--currency must be an ISO 4217 code such as USD, got "${currency}"`);
    const priceText = required(values.price, 'price');
    if (!/^\d+(\.\d{1,2})?$/.test(priceText))
      throw usageError(`--price must be a non-negative amount with at most 2 decimals, got "${priceText}"`);
    const body: Record<string, string> = { userId, releaseId, currency, price: priceText };
    if (values.track) body.trackId = values.track;
    if (values.country ?? io.env.SEPTET_COUNTRY)
      body.country = (values.country ?? io.env.SEPTET_COUNTRY) as string;
    const { api } = await createCliContext(values, io);
    const result = await api.callWithResponse('creditSalesItem', { userId, body });
    io.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    return exitCodes.ok;
  }
  if (sub === 'refund-track' || sub === 'refund-release') {
    const purchaseId = required(values.purchase, 'purchase');
    const body: Record<string, string> = { userId, purchaseId };
    if (values.reason) body.reason = values.reason;
    if (sub === 'refund-track' && values.track) body.trackId = values.track;
    if (sub === 'refund-release' && values.release) body.releaseId = values.release;
    const { api } = await createCliContext(values, io);
    const operationId = sub === 'refund-track' ? 'reportTrackRefund' : 'reportReleaseRefund';
    const result = await api.callWithResponse(operationId, { userId, body });
    printJson(io, result.body ?? { status: result.status });
    return exitCodes.ok;
  }
  throw usageError(`Unknown sales command "${sub}" (credit, refund-track, refund-release)`);
}
