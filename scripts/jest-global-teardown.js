'use strict';
// Stops the run's Redis Cluster (jest-global-setup.js), failed tests or not.
const { stopRedisClusterAt } = require('../packages/testkit/src/redis-cluster.ts');

module.exports = async function globalTeardown() {
  const cluster = globalThis.inferqTestCluster;
  if (!cluster) return;
  await cluster.settled; // a start still under way would leave nodes behind
  stopRedisClusterAt(cluster.dir);
};
