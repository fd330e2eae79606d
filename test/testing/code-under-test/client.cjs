// CommonJS code under test, written as a package would write it: node:dns
// and node:http taken with require() when this file loads, names resolved
// and connected to with no lookup option anywhere.
const dns = require("node:dns");
const http = require("node:http");

function lookupAll(name) {
  return new Promise((resolve, reject) => dns.lookup(name, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { "user-agent": "client.cjs/1" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

module.exports = { lookupAll, get };
