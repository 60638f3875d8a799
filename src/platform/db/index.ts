export {
  insertedRow,
  openDatabase,
  type Database,
  type DatabaseOptions,
  type Db,
} from './database.js';
