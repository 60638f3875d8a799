export {
  insertedRow,
  isUniqueViolation,
  isUuid,
  openDatabase,
  type Database,
  type DatabaseOptions,
  type Db,
} from './database.js';
