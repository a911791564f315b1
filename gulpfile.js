const { parallel, src, dest } = require('gulp');

// tsc emits only JavaScript; n8n loads node and credential icons from beside the compiled files.
const copyIconsOf = (folder) =>
	function copyIcons() {
		return src(`${folder}/**/*.{png,svg}`, { encoding: false }).pipe(dest(`dist/${folder}`));
	};

exports['build:icons'] = parallel(copyIconsOf('nodes'), copyIconsOf('credentials'));
