// Swagger UI with no CDN and no inline script. Requests carry the desk's token from this tab's
// sessionStorage, if the desk was given one.
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    requestInterceptor: (request) => {
      const token = sessionStorage.getItem("briefer.token");
      if (token) request.headers.Authorization = "Bearer " + token;
      return request;
    },
  });
});
