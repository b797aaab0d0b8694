import CustodyCLI
CustodyMain.main()
