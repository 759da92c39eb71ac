'use strict';
// npm start's development credentials: where API_KEYS / ADMIN_TOKEN are unset,
// a key for tenant `dev` and an admin token, kept under .data/ so they survive
// restarts.
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

function devCredentials(root, env) {
  const file = path.join(root, '.data', 'dev-credentials.json');
  let saved = {};
  if (fs.existsSync(file)) saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!saved.apiKey || !saved.adminToken) {
    saved = {
      apiKey: `iq_dev_${randomBytes(24).toString('base64url')}`,
      adminToken: `iqadm_${randomBytes(24).toString('base64url')}`,
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  }
  const out = {};
  if (!env.API_KEYS) {
    out.API_KEYS = `dev:${saved.apiKey}`;
    out.INFERQ_DEV_API_KEY = saved.apiKey;
  }
  if (!env.ADMIN_TOKEN) {
    out.ADMIN_TOKEN = saved.adminToken;
    out.INFERQ_DEV_ADMIN_TOKEN = saved.adminToken;
  }
  return out;
}

module.exports = { devCredentials };
