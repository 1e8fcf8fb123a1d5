// The full-page studio: the views that want room (a training set of 50, the quiz, the library,
// creator pages, earnings), opened from the side panel.
import { render } from 'preact';
import { StudioPage } from '../../studio/StudioPage';
import '../../panel/panel.css';
import '../../studio/studio.css';

render(<StudioPage />, document.getElementById('app')!);
