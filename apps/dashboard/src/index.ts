export { startDashboard } from './start-dashboard';
export type { StartedDashboard } from './start-dashboard';
export { DashboardEnv, loadDashboardConfig } from './env';
export type { DashboardConfig } from './env';
export { BOARD_PATH } from './queue-board';
export { FLEET_PATH } from './fleet.page';
