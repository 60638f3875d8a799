// Progressive enhancement only: every page works without this script. It starts the NHS.UK
// frontend components our pages use (header menu, skip link, error summary focus, buttons).
import {
  Button,
  CharacterCount,
  Checkboxes,
  createAll,
  ErrorSummary,
  FileUpload,
  Header,
  SkipLink,
} from 'nhsuk-frontend';
import { initAutosave } from './autosave.js';
import { initPrintLinks } from './print-link.js';

createAll(Header);
createAll(SkipLink);
createAll(Button);
createAll(CharacterCount);
createAll(Checkboxes);
createAll(ErrorSummary);
createAll(FileUpload);
initPrintLinks();
initAutosave();
