enum AWSSigV4Placeholder {}
