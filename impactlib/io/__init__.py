"""The only code that reads or writes files: the client folder, tables and documents, the catalog, the workbook, GLPI inventories, keys, the atomic writer."""
