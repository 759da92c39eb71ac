'use strict';
const path = require('node:path');
const { ensureRedis } = require('./redis');

// Every suite talks to a real Redis; each test file uses its own key prefix.
module.exports = async function globalSetup() {
  process.env.REDIS_URL = await ensureRedis(path.resolve(__dirname, '..'));
};
