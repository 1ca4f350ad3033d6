// Built-in demo credentials of the embedded MassiveMusic emulator. Public by design: they
// only ever unlock the local emulator. The real service needs a partner's own key.

export const demoConsumer = {
  key: 'septet-demo-key',
  secret: 'septet-demo-secret',
} as const;

export const demoListener = {
  userId: 'demo-listener',
  email: 'listener@septet.test',
  password: 'septet-listener',
  country: 'GB',
} as const;

export const demoNoSubscriptionListener = {
  userId: 'demo-nosub',
  email: 'nosub@septet.test',
  password: 'septet-nosub',
  country: 'GB',
} as const;
