// The order routes.
export const orderRoutes = ["/orders/:id"];
