import { createApp } from 'vue';
// TDesign's design tokens (colours, fonts, spacing) and reset; each component brings its own CSS
// with it because components are imported one by one where they are used (smaller bundle).
import 'tdesign-vue-next/es/style/index.css';
import './styles.css';
import App from './App.vue';

createApp(App).mount('#app');
