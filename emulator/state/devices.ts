// Devices authorised for offline playback, per listener.
import type { StoreContext } from './store-context.js';

export type Device = {
  userId: string;
  deviceId: string;
  deviceName: string | null;
  platform: string | null;
  status: 'authorised' | 'deauthorised';
  authorisedAt: number;
};

export function createDeviceStore({ db, now }: StoreContext) {
  const q = {
    device: db.prepare(
      'SELECT user_id AS userId, device_id AS deviceId, device_name AS deviceName, platform, status, authorised_at AS authorisedAt FROM devices WHERE user_id = ? AND device_id = ?',
    ),
    devices: db.prepare(
      'SELECT user_id AS userId, device_id AS deviceId, device_name AS deviceName, platform, status, authorised_at AS authorisedAt FROM devices WHERE user_id = ? ORDER BY authorised_at, device_id',
    ),
    countAuthorised: db.prepare(
      "SELECT COUNT(*) AS n FROM devices WHERE user_id = ? AND status = 'authorised'",
    ),
    upsertDevice: db.prepare(
      'INSERT INTO devices (user_id, device_id, device_name, platform, status, authorised_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id, device_id) DO UPDATE SET device_name = COALESCE(excluded.device_name, device_name), platform = COALESCE(excluded.platform, platform), status = excluded.status, authorised_at = CASE WHEN status = excluded.status THEN authorised_at ELSE excluded.authorised_at END, updated_at = excluded.updated_at',
    ),
  };

  function getDevice(userId: string, deviceId: string): Device | null {
    return (q.device.get(userId, deviceId) as Device | undefined) ?? null;
  }

  return {
    getDevice,
    listDevices(userId: string): Device[] {
      return q.devices.all(userId) as Device[];
    },
    countAuthorisedDevices(userId: string): number {
      return (q.countAuthorised.get(userId) as { n: number }).n;
    },
    setDevice(input: {
      userId: string;
      deviceId: string;
      deviceName: string | null;
      platform: string | null;
      status: Device['status'];
    }): Device {
      const at = now();
      q.upsertDevice.run(
        input.userId,
        input.deviceId,
        input.deviceName,
        input.platform,
        input.status,
        at,
        at,
      );
      return getDevice(input.userId, input.deviceId) as Device;
    },
    isDeviceAuthorised(userId: string, deviceId: string): boolean {
      return getDevice(userId, deviceId)?.status === 'authorised';
    },
  };
}
