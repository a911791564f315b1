/** What the editor asks the node for: its lists (resource locators) and dependent options. */
export { listSearchMethods as listSearch } from './listSearch';
export { loadOptionsMethods as loadOptions } from './loadOptions';
