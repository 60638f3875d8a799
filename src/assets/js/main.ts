// Progressive enhancement only: every page works without this script. It starts the NHS.UK
// frontend components our pages use (header menu, skip link, error summary focus, buttons).
import {
  Button,
  Checkboxes,
  createAll,
  ErrorSummary,
  FileUpload,
  Header,
  SkipLink,
} from 'nhsuk-frontend';

createAll(Header);
createAll(SkipLink);
createAll(Button);
createAll(Checkboxes);
createAll(ErrorSummary);
createAll(FileUpload);
