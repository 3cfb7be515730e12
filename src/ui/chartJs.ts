/**
 * Chart.js with the parts the age charts use, registered once. Imported dynamically (AgeChart,
 * the PNG export), so the charting code is not on the path to the first estimate: the page and
 * its worker start without it, and it arrives while the models load.
 */
import { Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Tooltip, Legend);

export { Chart };
