// The side panel page: mounts the studio.
import { render } from 'preact';
import { App } from '../../panel/App';
import '../../panel/panel.css';

render(<App />, document.getElementById('app')!);
