// Progressive enhancement only: every task works without JavaScript.
import { initAll as initGovuk } from '/assets/govuk-frontend.min.js'
import { FilterToggleButton, initAll as initMoj } from '/assets/moj-frontend.min.js'

initGovuk()
initMoj()
// MoJ's initAll leaves the filter toggle out: on a narrow screen it hides the filter
// behind a "Show filter" button.
for (const $filter of document.querySelectorAll('[data-module="moj-filter"]')) {
  new FilterToggleButton($filter, { startHidden: false })
}
