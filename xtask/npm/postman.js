// Converts docs/api/openapi.json into a Postman collection with openapi-to-postmanv2, printed on
// stdout. The converter invents example values with Math.random and the current time; seeding
// the one and fixing the other makes the same document always give the same collection, so the
// committed one can be checked fresh.
// Usage: node postman.js OPENAPI_JSON (with NODE_PATH naming the installed node_modules).
'use strict';

let state = 20261126;
Math.random = function seeded() {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const FIXED_NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const RealDate = Date;
class FixedDate extends RealDate {
    constructor(...args) {
        if (args.length === 0) {
            super(FIXED_NOW);
        } else {
            super(...args);
        }
    }
    static now() {
        return FIXED_NOW;
    }
}
global.Date = FixedDate;

const fs = require('fs');
const Converter = require('openapi-to-postmanv2');

const spec = fs.readFileSync(process.argv[2], 'utf8');
const options = {
    folderStrategy: 'Tags',
    requestParametersResolution: 'Example',
    exampleParametersResolution: 'Example',
    includeAuthInfoInExample: false,
};
Converter.convert({ type: 'string', data: spec }, options, (error, result) => {
    if (error || !result.result) {
        console.error('openapi-to-postmanv2 failed:', error || result.reason);
        process.exit(1);
    }
    process.stdout.write(JSON.stringify(result.output[0].data));
});
