// Progressive enhancement only: every task works without JavaScript.
import { initAll as initGovuk } from '/assets/govuk-frontend.min.js'
import { initAll as initMoj } from '/assets/moj-frontend.min.js'

initGovuk()
initMoj()
