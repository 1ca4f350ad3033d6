// Users, subscriptions, offline devices, the locker and sales (credit-item, refunds):
// notes §6, §7 and rules 28–33.
import type { ServerResponse } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import type { EmulatorRequest, Router } from '../http.js';
import {
  ServiceError,
  alreadyExists,
  formObject,
  invalidValue,
  missingParameter,
  notAvailable,
  notFound,
  outOfRange,
  parseBody,
  readFormBody,
  readJsonBody,
  readPaging,
  sendJson,
  sendText,
} from '../http.js';
import { addMonths } from '../state/clock.js';
import type { User } from '../state/accounts.js';
import type { Device } from '../state/devices.js';
import type { SubscriptionRow } from '../state/subscriptions.js';
import type { RouteContext } from './context.js';
import { authUser, pageOf } from './context.js';

const isoDateRe = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (value: string) =>
  isoDateRe.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
const countryRe = /^[A-Z]{2}$/;

const DeviceAuthorisationRequest = z.object({
  deviceId: z.string().min(1).max(255).optional(),
  clientId: z.string().min(1).max(255).optional(),
  deviceName: z.string().max(255).optional(),
  platform: z.enum(['ios', 'android', 'web', 'windows', 'macos']).optional(),
  offlineEnabled: z.boolean().optional(),
  status: z.enum(['authorised', 'deauthorised']).optional(),
});

const CreateSubscriptionRequest = z.object({
  userId: z.string().min(1).max(255),
  productId: z.string().min(1).max(255).optional(),
  planCode: z.string().min(1).max(255).optional(),
  startDate: z.string().optional(),
  endDate: z.string().optional(),
  country: z.string().optional(),
});

const CreateUserRequest = z.object({
  email: z
    .string()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'not an email address'),
  password: z.string().min(1).max(1024),
  country: z.string().regex(countryRe, 'expected an ISO 3166-1 alpha-2 code'),
  firstName: z.string().max(255).optional(),
  lastName: z.string().max(255).optional(),
  userId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, 'letters, digits, . _ - only')
    .optional(),
});

const CreditItemRequest = z.object({
  userId: z.string().min(1).max(255),
  releaseId: z.string().max(64).optional(),
  trackId: z.string().max(64).optional(),
  currency: z.string().min(1).max(8),
  price: z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, 'a non-negative amount with at most 2 decimals'),
  transactionId: z.string().max(255).optional(),
});

const RefundRequest = z.object({
  userId: z.string().min(1).max(255),
  purchaseId: z.string().min(1).max(64),
  reason: z.string().max(1000).optional(),
  releaseId: z.string().max(64).optional(),
  trackId: z.string().max(64).optional(),
});

const xml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );

function sendXmlError(res: ServerResponse, error: ServiceError): void {
  sendText(
    res,
    error.status,
    'application/xml; charset=utf-8',
    `<?xml version="1.0" encoding="utf-8"?>\n<response status="error" version="1.2"><error code="${error.code}"><errorMessage>${xml(error.message)}</errorMessage></error></response>`,
  );
}

/** Ensures a body-supplied userId names the authorised user. */
function sameUser(req: EmulatorRequest, userId: string): string {
  const authorised = authUser(req);
  if (userId !== authorised) throw invalidValue('userId', 'does not match the authorised user');
  return authorised;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function registerAccountRoutes(router: Router, ctx: RouteContext): void {
  registerUserRoutes(router, ctx);
  registerSubscriptionRoutes(router, ctx);
  registerOfflineDeviceRoutes(router, ctx);
  registerLockerRoutes(router, ctx);
  registerSalesRoutes(router, ctx);
}

function requireUser({ state }: RouteContext, userId: string): User {
  const user = state.getUser(userId);
  if (!user) throw notFound('User');
  return user;
}

function registerUserRoutes(router: Router, { state }: RouteContext): void {
  router.add('POST', '/users', (req, res) => {
    const body = parseBody(CreateUserRequest, formObject(readFormBody(req)));
    if (state.emailExists(body.email) || (body.userId !== undefined && state.getUser(body.userId))) {
      throw alreadyExists('User already exists');
    }
    const user = state.createUser({
      ...(body.userId !== undefined ? { id: body.userId } : {}),
      email: body.email,
      password: body.password,
      firstName: body.firstName ?? null,
      lastName: body.lastName ?? null,
      country: body.country,
      ownerKey: req.auth.consumerKey,
    });
    sendJson(res, 201, {
      id: user.id,
      email: user.email,
      ...(user.firstName !== null ? { firstName: user.firstName } : {}),
      ...(user.lastName !== null ? { lastName: user.lastName } : {}),
      country: user.country,
      createdAt: isoSeconds(user.createdAt),
    });
  });
}

const subscriptionJson = (row: SubscriptionRow) => ({
  subscriptionId: row.id,
  userId: row.userId,
  productId: row.productId,
  status: row.status,
  startDate: row.startDate,
  endDate: row.endDate,
});

function registerSubscriptionRoutes(router: Router, ctx: RouteContext): void {
  const { state, config } = ctx;
  router.add('POST', '/subscriptions', (req, res) => {
    const body = parseBody(CreateSubscriptionRequest, formObject(readFormBody(req)));
    const userId = sameUser(req, body.userId);
    const user = requireUser(ctx, userId);
    const productId = body.productId ?? body.planCode;
    if (productId === undefined) throw missingParameter('productId');
    if (body.startDate === undefined) throw missingParameter('startDate');
    if (body.endDate === undefined) throw missingParameter('endDate');
    if (!validDate(body.startDate)) throw invalidValue('startDate', 'expected YYYY-MM-DD');
    if (!validDate(body.endDate)) throw invalidValue('endDate', 'expected YYYY-MM-DD');
    if (body.endDate <= body.startDate) throw outOfRange('endDate must be after startDate');
    if (body.endDate > addMonths(body.startDate, config.subscriptionMaxMonths)) {
      throw outOfRange(
        'Subscriptions last for a maximum of one month: endDate must be at most one month after startDate',
      );
    }
    const country = body.country ?? user.country;
    if (!countryRe.test(country)) throw invalidValue('country', 'expected an ISO 3166-1 alpha-2 code');
    const row = state.createSubscription({
      userId,
      productId,
      country,
      startDate: body.startDate,
      endDate: body.endDate,
    });
    sendJson(res, 201, subscriptionJson(row));
  });
  // Extension (notes §9.12): the user's subscriptions, newest first.
  router.add(
    'GET',
    '/users/{userId}/subscription',
    (req, res) => {
      const userId = req.params.userId ?? '';
      requireUser(ctx, userId);
      const rows = state.subscriptionsOf(userId);
      const active = state.getActiveSubscription(userId);
      sendJson(res, 200, {
        status: 'ok',
        active: active !== null,
        subscriptions: rows.map(subscriptionJson),
      });
    },
    { auth: 'threeLegged' },
  );
}

function registerOfflineDeviceRoutes(router: Router, ctx: RouteContext): void {
  const { state, config } = ctx;
  const deviceJson = (d: Device) => ({
    deviceId: d.deviceId,
    ...(d.deviceName !== null ? { deviceName: d.deviceName } : {}),
    ...(d.platform !== null ? { platform: d.platform } : {}),
    status: d.status,
    authorisedAt: isoSeconds(d.authorisedAt),
    offlineEnabled: d.status === 'authorised',
    offlineMaxTrackCount: config.offlineMaxTrackCount,
  });
  router.add('POST', '/users/{userId}/unlimitedStreaming/offline', (req, res) => {
    const userId = req.params.userId ?? '';
    const body = parseBody(DeviceAuthorisationRequest, readDeviceBody(req));
    const deviceId = body.deviceId ?? body.clientId;
    if (deviceId === undefined) throw missingParameter('deviceId');
    requireUser(ctx, userId);
    const deauthorise = body.offlineEnabled === false || body.status === 'deauthorised';
    const existing = state.getDevice(userId, deviceId);
    if (deauthorise) {
      if (!existing) throw notFound('Device');
    } else {
      if (!state.hasActiveSubscription(userId))
        throw outOfRange('This account type cannot register offline device');
      if (
        existing?.status !== 'authorised' &&
        state.countAuthorisedDevices(userId) >= config.offlineDeviceCap
      ) {
        throw outOfRange('Maximum number of offline devices registered');
      }
    }
    const device = state.setDevice({
      userId,
      deviceId,
      deviceName: body.deviceName ?? null,
      platform: body.platform ?? null,
      status: deauthorise ? 'deauthorised' : 'authorised',
    });
    sendJson(res, 200, deviceJson(device));
  });
  router.add('GET', '/users/{userId}/unlimitedStreaming/offline/{deviceId}', (req, res) => {
    const device = state.getDevice(req.params.userId ?? '', req.params.deviceId ?? '');
    if (!device) throw notFound('Device');
    sendJson(res, 200, deviceJson(device));
  });
  router.add('GET', '/users/{userId}/unlimitedStreaming/devices', (req, res) => {
    const userId = req.params.userId ?? '';
    requireUser(ctx, userId);
    sendJson(res, 200, { status: 'ok', devices: state.listDevices(userId).map(deviceJson) });
  });
}

/** A device authorisation body: JSON, or XML `<offlineStatus>…</offlineStatus>`. */
function readDeviceBody(req: EmulatorRequest): unknown {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type === 'application/xml' || type === 'text/xml') {
    let parsed: unknown;
    try {
      parsed = new XMLParser({ parseTagValue: false }).parse(req.body.toString('utf8')) as unknown;
    } catch {
      throw invalidValue('body', 'not well-formed XML');
    }
    const status = (parsed as { offlineStatus?: Record<string, unknown> }).offlineStatus;
    if (!status || typeof status !== 'object') throw missingParameter('offlineStatus');
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(status))
      out[k] = k === 'offlineEnabled' ? v === 'true' : typeof v === 'string' ? v : String(v);
    return out;
  }
  return readJsonBody(req);
}

function registerLockerRoutes(router: Router, ctx: RouteContext): void {
  const { state, config, catalogue, views } = ctx;
  router.add('GET', '/users/{userId}/locker', (req, res) => {
    const userId = req.params.userId ?? '';
    requireUser(ctx, userId);
    const p = readPaging(req.query, config.maxPageSize, config.defaultPageSize);
    const { releaseIds, trackIds } = state.lockerItems(userId);
    const items = [
      ...releaseIds.map((id) => ({ kind: 'release' as const, id })),
      ...trackIds.map((id) => ({ kind: 'track' as const, id })),
    ];
    const slice = pageOf(items, p);
    // Extension fields: the latest purchase behind each item (for downloadPurchaseZip).
    const purchases = state.entitledPurchases(userId);
    const purchaseOf = (kind: 'release' | 'track', id: string) => {
      const match = purchases
        .filter((x) => (kind === 'release' ? x.trackId === null && x.releaseId === id : x.trackId === id))
        .at(-1);
      return match ? { purchaseId: match.id, purchaseDate: isoSeconds(match.purchasedAt) } : {};
    };
    const releases = slice.flatMap((i) => {
      const r = i.kind === 'release' ? catalogue.releases.get(i.id) : undefined;
      return r ? [{ ...views.release(r), ...purchaseOf('release', r.id) }] : [];
    });
    const tracks = slice.flatMap((i) => {
      const t = i.kind === 'track' ? catalogue.tracks.get(i.id) : undefined;
      return t ? [{ ...views.track(t), ...purchaseOf('track', t.id) }] : [];
    });
    sendJson(res, 200, {
      status: 'ok',
      page: p.page,
      pageSize: p.pageSize,
      totalItems: items.length,
      releases,
      tracks,
    });
  });
}

/** Sales (notes §7.5, rules 31–33): credit-item (XML answers, errors included) and refunds. */
function registerSalesRoutes(router: Router, ctx: RouteContext): void {
  router.add('POST', '/sales/credit-item', creditItem(ctx));
  router.add('POST', '/sales/refund/release', refund(ctx, 'release'));
  router.add('POST', '/sales/refund/track', refund(ctx, 'track'));
}

function creditItem(ctx: RouteContext) {
  const { state, config, catalogue } = ctx;
  return (req: EmulatorRequest, res: ServerResponse) => {
    try {
      const body = parseBody(CreditItemRequest, formObject(readFormBody(req)));
      const userId = sameUser(req, body.userId);
      requireUser(ctx, userId);
      const track = body.trackId !== undefined ? catalogue.tracks.get(body.trackId) : undefined;
      if (body.trackId !== undefined && !track) throw notFound('Track');
      const releaseId = body.releaseId ?? track?.releaseId;
      if (releaseId === undefined) throw missingParameter('releaseId');
      const release = catalogue.releases.get(releaseId);
      if (!release) throw notFound('Release');
      if (track && track.releaseId !== release.id)
        throw invalidValue('trackId', 'the track is not on this release');
      if (body.currency.toUpperCase() !== config.priceCurrency) {
        throw invalidValue('currency', `content is priced in ${config.priceCurrency}`);
      }
      const purchase = state.creditItem({
        userId,
        releaseId: release.id,
        trackId: track?.id ?? null,
        price: Number(body.price),
        currency: config.priceCurrency,
        transactionId: body.transactionId ?? null,
      });
      sendText(
        res,
        200,
        'application/xml; charset=utf-8',
        `<?xml version="1.0" encoding="utf-8"?>\n<response status="ok" version="1.2"><purchase id="${purchase.id}"><purchaseDate>${isoSeconds(purchase.purchasedAt)}</purchaseDate>` +
          `<releaseId>${purchase.releaseId}</releaseId>${purchase.trackId ? `<trackId>${purchase.trackId}</trackId>` : ''}` +
          `<price>${purchase.price.toFixed(2)}</price><currency>${purchase.currency}</currency>` +
          `${purchase.transactionId ? `<transactionId>${xml(purchase.transactionId)}</transactionId>` : ''}</purchase></response>`,
      );
    } catch (error) {
      if (error instanceof ServiceError) {
        sendXmlError(res, error);
        return;
      }
      throw error;
    }
  };
}

/** Start of the reporting period refunds may still touch (notes §7.5, rule 33). */
function reportingPeriodStart(at: number, refundReportingDay: number): number {
  const d = new Date(at);
  const thisMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const cutoff = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), refundReportingDay);
  return at < cutoff ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) : thisMonth;
}

function refund({ state, config }: RouteContext, kind: 'release' | 'track') {
  return (req: EmulatorRequest, res: ServerResponse) => {
    const body = parseBody(RefundRequest, readJsonBody(req));
    const purchase = state.getPurchase(body.purchaseId);
    const owned =
      purchase !== null &&
      purchase.userId === body.userId &&
      state.userOwnedBy(body.userId, req.auth.consumerKey);
    const matchesKind =
      purchase !== null && (kind === 'release' ? purchase.trackId === null : purchase.trackId !== null);
    if (!purchase || !owned || !matchesKind || purchase.refundedAt !== null) throw notFound('Sale');
    if (body.releaseId !== undefined && body.releaseId !== purchase.releaseId) throw notFound('Sale');
    if (body.trackId !== undefined && body.trackId !== purchase.trackId) throw notFound('Sale');
    if (purchase.purchasedAt < reportingPeriodStart(state.now(), config.refundReportingDay)) {
      throw notAvailable('The sale is outside the current reporting period and can no longer be refunded');
    }
    state.refundPurchase(purchase.id);
    sendJson(res, 200, {
      status: 'ok',
      purchaseId: purchase.id,
      releaseId: purchase.releaseId,
      ...(purchase.trackId !== null ? { trackId: purchase.trackId } : {}),
    });
  };
}
