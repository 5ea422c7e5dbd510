// Served only on message pages whose licence grants PRINT (CSP script-src 'self' is sent only there).
document.addEventListener('DOMContentLoaded', function () {
  var b = document.querySelector('[data-print]');
  if (b) {
    b.addEventListener('click', function () { window.print(); });
  }
});
