"""What a client is: table and document shapes, the Client, the Catalog, the Finding. Imports nothing of impactlib but errors."""
